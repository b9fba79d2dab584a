// The app modules by the name the config gives them: one file per app.
import type { AppModule } from '../src/render/app-context';
import analysis from './analysis';
import ethNode from './eth-node';
import nixCache from './nix-cache';
import website from './website';

export const APP_MODULES: Readonly<Record<string, AppModule>> = {
  analysis,
  'eth-node': ethNode,
  'nix-cache': nixCache,
  website,
};
