export declare const BUILD_OUTPUTS: string[];
export declare const BUILD_SOURCES: string[];
export declare function buildNeeded(root: string): string | undefined;
