package dev.modelc.check;

import dev.modelc.graph.Initializer;
import dev.modelc.graph.TrainSpec;
import dev.modelc.syntax.Ast;
import java.util.Map;

/** A program that passed checking, with its initializers and train settings resolved. */
public record CheckedModel(Ast.Program program, Map<String, Initializer> initializers, TrainSpec train) {
}
