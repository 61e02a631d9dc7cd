"""Programme effects: randomised hold-outs, staggered rollouts and honest intervals
(docs/effects.md)."""
