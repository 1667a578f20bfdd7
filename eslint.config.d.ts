// Types of what eslint.config.js exports, for the test that proves its folder rules.
import type { Linter } from 'eslint';

/** What each folder of src/main may import from the others. */
export declare const MAIN_IMPORTS: Record<string, string[]>;
/** The folder rules. */
export declare const layering: Linter.Config[];
declare const config: Linter.Config[];
export default config;
