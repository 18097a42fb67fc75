import type { Config } from '../config';
import type { JobService } from '../jobs/service';
import type { Health } from '../jobs/system';
import type { Logger } from '../log';
import type { Metrics } from '../metrics';
import type { VideoStorage } from '../storage/types';
import type { LocalStorage } from '../storage/local';

export interface AppDeps {
  config: Config;
  jobs: JobService;
  health: () => Promise<Health>;
  metrics: Metrics;
  storage: VideoStorage | LocalStorage;
  log: Logger;
}
