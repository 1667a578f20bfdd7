/**
 * The preload bridge. It exposes `window.warden`, a typed client of the console API with
 * named methods, never raw ipcRenderer. The console issue fills it in from the contract in
 * src/shared; for now it says which version of Warden the window runs.
 */
import { contextBridge } from 'electron';

contextBridge.exposeInMainWorld('warden', Object.freeze({ apiVersion: 0 }));
