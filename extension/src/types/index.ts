export type * from './ChestXrayAiState';
export type * from './viewports';
