/**
 * Entry of a worker thread or child process that runs one isolated plugin (bundled as
 * dist/cli/isolation-guest.js). reflect-metadata comes first, through the DI container module.
 */
import '../../di/container.js';
import { GuestRuntime } from './guest-runtime.js';
import { openGuestPort } from './guest-port.js';

new GuestRuntime(openGuestPort());
