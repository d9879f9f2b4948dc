/**
 * @kubeling/api/testing — test helpers for every lib and app, kept out of the main entry so
 * production code cannot reach them by accident.
 *
 *   import { FakeClock } from '@kubeling/api/testing';
 *   const clock = new FakeClock();
 *   const queue = new WorkQueue({ clock });
 *   queue.addAfter('a', 1000);
 *   await clock.advance(1000); // 'a' is ready; nothing slept
 */
export { FakeClock, settle } from './fakeClock';
