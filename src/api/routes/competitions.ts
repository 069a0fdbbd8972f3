import type { FastifyInstance } from 'fastify';
import type { CompetitionBoards } from '../../competition/boards.js';
import { NotFoundError, UnavailableError } from '../errors.js';

/** /v1/competitions and /v1/competitions/:name/leaderboard (docs/competitions.md). */
export function registerCompetitionRoutes(app: FastifyInstance, boards: CompetitionBoards): void {
  app.get('/v1/competitions', async () => ({ competitions: boards.summaries() }));
  app.get<{ Params: { name: string } }>('/v1/competitions/:name/leaderboard', async (req) => {
    const { name } = req.params;
    if (!boards.task(name)) throw new NotFoundError(`no competition named "${name}" on this validator`, { hint: `GET /v1/competitions lists ${boards.tasks.map((t) => t.name).join(', ') || 'none'}` });
    const board = boards.leaderboard(name);
    if (!board) throw new UnavailableError(`competition ${name} has not been evaluated yet`, { hint: 'the validator evaluates submissions every few blocks; retry later' });
    return board;
  });
}
