import { chatContract } from '../contract.js';
import { startSlackHarness } from './harness.js';

chatContract('slack (Socket Mode)', () => startSlackHarness('socket'));
chatContract('slack (HTTP events)', () => startSlackHarness('http'));
