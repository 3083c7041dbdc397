/** dcmjs ships no types; the demo writer types what it uses locally. */
declare module 'dcmjs';
