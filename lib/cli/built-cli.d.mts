/** Types of built-cli.mjs (plain JavaScript, so the launcher runs it before any compiler). */
export declare const BUILD_INPUTS_FILE: string;
export declare function isBuildFresh(root: URL, distFolder?: string): boolean;
