package dev.modelc.graph;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The learning-rate schedule of the train block after checking: its name, its numeric
 * parameters with defaults filled in (sorted by name, so output is deterministic), and the
 * milestones of {@code multistep}. A parameter left to the run, such as {@code cosine}'s
 * {@code steps}, is absent.
 */
public record ScheduleSpec(String name, Map<String, Double> parameters, List<Long> milestones) {
    public static final ScheduleSpec CONSTANT = new ScheduleSpec("constant", Map.of(), List.of());

    public ScheduleSpec {
        parameters = Collections.unmodifiableMap(new TreeMap<>(parameters));
        milestones = List.copyOf(milestones);
    }
}
