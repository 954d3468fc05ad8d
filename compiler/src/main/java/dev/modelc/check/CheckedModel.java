package dev.modelc.check;

import dev.modelc.graph.Initializer;
import dev.modelc.graph.TrainSpec;
import dev.modelc.syntax.Ast;
import java.util.Map;

/**
 * A program that passed checking: its initializers, the type of every declared name, and its
 * train settings.
 */
public record CheckedModel(Ast.Program program, Map<String, Initializer> initializers, Map<String, Type> types,
                           TrainSpec train) {
}
