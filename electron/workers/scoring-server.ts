/**
 * Entry of a scoring-server process (electron-vite builds it to
 * out/main/scoring-server.js): one per running server, started by the serving
 * manager like the job workers. The server lives in electron/core/serving/.
 */
import { runScoringServerProcess } from '../core/serving/server-process';

runScoringServerProcess();
