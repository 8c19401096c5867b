// Ink writes only the last frame at unmount when CI is set, which breaks lastFrame()
// in ink-testing-library; UI tests need the interactive behaviour.
delete process.env['CI'];
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
