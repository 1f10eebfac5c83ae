package dev.consentry.graph.authz;

/**
 * One stage of the Graph authorization pipeline ({@link AuthorizationEngine}): it reads what earlier stages
 * learnt, takes its checks in order, and either continues with what it learnt or stops at the first failure.
 * A stage that does not govern a call continues with no step. A refusal is a value; a stage throws only when it
 * is broken.
 */
@FunctionalInterface
public interface Stage {
    StageResult apply(Evaluation evaluation);
}
