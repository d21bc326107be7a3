// Loaded with `node --import ./register-hook.mjs`: installs the resolve hook (Node >= 20.6).
import { register } from 'node:module';

register('./resolve-hook.mjs', import.meta.url);
