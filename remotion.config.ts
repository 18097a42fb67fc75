// Config for the Remotion CLI (`npm run studio`). Renders from code set the same options in src/render.
import { Config } from '@remotion/cli/config';

Config.setEntryPoint('src/composition/index.ts');
Config.setBrowserExecutable(process.env.BROWSER_EXECUTABLE ?? '/usr/bin/chromium-headless-shell');
Config.setVideoImageFormat('jpeg');
Config.setOverwriteOutput(true);
