// The swing-up task's deployment criterion lives in the dependency-free SwingUpCriterion module,
// so the controller (which may not link Learning) judges its episodes by the same code;
// re-exported so every module that imports Learning has it without a second import.
@_exported import SwingUpCriterion
