// Entry point of the Remotion bundle (render and Studio).
import { registerRoot } from 'remotion';
import { Root } from './Root';

registerRoot(Root);
