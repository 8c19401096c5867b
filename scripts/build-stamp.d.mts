export declare const PROJECT: string;
export declare const STAMP: string;
export declare function currentStamp(root?: string): string;
export declare function builtStamp(root?: string): string | null;
export declare function distIsCurrent(root?: string): boolean;
export declare function writeStamp(root?: string): void;
