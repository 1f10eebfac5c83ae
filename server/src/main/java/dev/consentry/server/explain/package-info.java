/**
 * The explanations served to people and scripts: the diagnostics API ({@code /consentry/diagnostics}), the diagnosis
 * page of one decision and the what-if page. What they explain is kept by {@code server.diagnostics}.
 */
package dev.consentry.server.explain;
