// The sandbox's seeded generator, for tests that draw random moments: the same seed replays the
// same draws. Imported from here so a project's tests need not depend on the sandbox project.
export { seededRandom, type Random } from '../../projects/sandbox/src/seeded-random';
