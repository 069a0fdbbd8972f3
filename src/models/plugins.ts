/**
 * Every model plugin the CLI and the API know (docs/models.md, plugins): the zoo's models and the
 * competitions' tasks. Looked up by name: a circuit compiled from a plugin's ONNX carries its name.
 */
import { COMPETITION_TASKS } from '../competition/tasks.js';
import { ZOO } from './zoo.js';
import type { ModelPlugin } from './zoo/types.js';

export function allPlugins(): readonly ModelPlugin[] {
  return [...ZOO, ...COMPETITION_TASKS];
}

/** The plugin named `name`, or undefined. */
export function findPlugin(name: string): ModelPlugin | undefined {
  return allPlugins().find((p) => p.name === name);
}
