import type { components } from '../../../src/client/index.ts';
import type { Job } from './types.ts';

/**
 * The job view the screens read: the API's job with its ranking and bid range
 * beside it (null when the viewer may not see the range; a range of no bids has
 * proposals 0).
 */
export function jobView(
  detail:
    components['schemas']['JobDetail'] | { job: components['schemas']['Job']; ranking: []; bidRange: null },
): Job {
  const { jobId, ...job } = detail.job;
  const range = detail.bidRange;
  return {
    ...job,
    id: jobId,
    ranking: detail.ranking,
    bidRange: range,
  };
}
