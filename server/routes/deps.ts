import type { Config } from '../config';
import type { JobService } from '../jobs/service';
import type { Logger } from '../log';
import type { VideoStorage } from '../storage/types';
import type { LocalStorage } from '../storage/local';

export interface AppDeps {
  config: Config;
  jobs: JobService;
  storage: VideoStorage | LocalStorage;
  log: Logger;
}
