/** dcmjs ships no types; dcmjs.ts types the parts the result objects use. */
declare module 'dcmjs';
