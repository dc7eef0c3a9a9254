import { chatContract } from '../contract.js';
import { startDiscordHarness } from './harness.js';

chatContract('discord (gateway + REST double)', () => startDiscordHarness());
