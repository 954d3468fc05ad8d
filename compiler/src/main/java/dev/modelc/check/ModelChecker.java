package dev.modelc.check;

import dev.modelc.diagnostics.Diagnostics;
import dev.modelc.diagnostics.Span;
import dev.modelc.diagnostics.Suggestions;
import dev.modelc.syntax.Ast;
import dev.modelc.syntax.Ast.Declaration;
import dev.modelc.syntax.Ast.Definition;
import dev.modelc.syntax.Ast.Expr;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The check stage: names resolve, calls fit their functions, literals are in range, there is
 * exactly one loss and it depends on a parameter through differentiable operations only.
 * Reports every error it finds, then gives up if there were any.
 */
public final class ModelChecker {
    private final Diagnostics diagnostics;
    private final Map<String, Declaration> firstDeclarations = new HashMap<>();
    private final Map<String, Symbol> scope = new LinkedHashMap<>();
    /** Names whose declarations could not be parsed: already reported, so their uses are not. */
    private final Set<String> unreadable;
    private final boolean lossUnreadable;

    /** What the checker knows of a declared name once its declaration is checked. */
    record Symbol(Declaration declaration, Facts facts) {
    }

    private ModelChecker(Diagnostics diagnostics, Set<String> unreadable, boolean lossUnreadable) {
        this.diagnostics = diagnostics;
        this.unreadable = unreadable;
        this.lossUnreadable = lossUnreadable;
    }

    public static Optional<CheckedModel> check(Ast.Program program, Diagnostics diagnostics) {
        return check(program, diagnostics, Set.of(), false);
    }

    /**
     * Checks a program from which declarations with syntax errors were set aside: uses of their
     * {@code unreadable} names, and a loss that is missing because it was one of them, are not
     * reported again.
     */
    public static Optional<CheckedModel> check(Ast.Program program, Diagnostics diagnostics, Set<String> unreadable,
                                               boolean lossUnreadable) {
        return new ModelChecker(diagnostics, unreadable, lossUnreadable).run(program);
    }

    private Optional<CheckedModel> run(Ast.Program program) {
        collectNames(program);
        DeclaredTypes declaredTypes = new DeclaredTypes(diagnostics);
        ParamChecks params = new ParamChecks(diagnostics, declaredTypes);
        Functions functions = new Functions(program, firstDeclarations, unreadable, diagnostics);
        ExpressionChecks expressions = new ExpressionChecks(diagnostics, scope, firstDeclarations, unreadable,
                functions);
        Map<String, Type> types = new LinkedHashMap<>();
        Definition loss = null;
        for (Declaration declaration : program.declarations()) {
            if (firstDeclarations.get(declaration.name().text()) != declaration) {
                continue;
            }
            Facts facts;
            if (declaration instanceof Ast.Param param) {
                facts = params.check(param);
            } else if (declaration instanceof Ast.Input input) {
                facts = Facts.of(declaredTypes.resolve(input.type(), input.name().text(), true));
            } else {
                Definition definition = (Definition) declaration;
                facts = checkValue(definition, expressions);
                if (definition.kind() == Definition.Kind.LOSS) {
                    loss = checkLoss(definition, facts, loss);
                } else if (definition.kind() == Definition.Kind.METRIC) {
                    requireScalar(definition, facts, "a metric");
                }
            }
            types.put(declaration.name().text(), facts.type());
            scope.put(declaration.name().text(), new Symbol(declaration, facts));
        }
        if (loss == null && !lossUnreadable) {
            diagnostics.error(program.name().span(), "model `" + program.name().text() + "` has no loss",
                    "declare the value to minimize, e.g. `loss J = x^2`");
        }
        checkRecomputes(program);
        Map<String, Type> inputs = new LinkedHashMap<>();
        for (Declaration declaration : program.declarations()) {
            if (declaration instanceof Ast.Input && firstDeclarations.get(declaration.name().text()) == declaration) {
                inputs.put(declaration.name().text(), types.get(declaration.name().text()));
            }
        }
        Set<String> metrics = new LinkedHashSet<>();
        for (Declaration declaration : program.declarations()) {
            if (declaration instanceof Definition d && d.kind() == Definition.Kind.METRIC) {
                metrics.add(d.name().text());
            }
        }
        TrainChecks train = new TrainChecks(diagnostics, expressions, inputs, firstDeclarations.keySet(), metrics);
        var spec = train.check(program.train());
        if (diagnostics.hasErrors()) {
            return Optional.empty();
        }
        return Optional.of(new CheckedModel(program, params.initializers(), types, spec));
    }

    /** Checks a definition's value; after an error inside it, its dependence on params is unknown. */
    private Facts checkValue(Definition definition, ExpressionChecks expressions) {
        int errorsBefore = diagnostics.errorCount();
        Facts facts = expressions.check(definition.value());
        return diagnostics.errorCount() > errorsBefore ? facts.withErrorInside() : facts;
    }

    private void requireScalar(Definition definition, Facts facts, String what) {
        if (facts.type() != null && !facts.type().shape().isScalar()) {
            diagnostics.error(definition.name().span(), "`" + definition.name().text() + "` is " + what
                    + ", so it must be a scalar, but it has shape " + facts.type().shape(),
                    "reduce it to one number, e.g. `mean(...)` or `sum(...)`");
        }
    }

    /**
     * Only a plain definition or an output can be recomputed: params and inputs are never stored, a loss or metric
     * is a scalar.
     */
    private void checkRecomputes(Ast.Program program) {
        for (Ast.Recompute recompute : program.recomputes()) {
            for (Ast.Ident name : recompute.names()) {
                Declaration declaration = firstDeclarations.get(name.text());
                if (declaration == null && unreadable.contains(name.text())) {
                    continue;
                }
                if (declaration == null) {
                    String suggestion = Suggestions.closest(name.text(), firstDeclarations.keySet());
                    diagnostics.error(name.span(), "unknown name `" + name.text() + "` in `recompute`",
                            suggestion == null ? "name a definition, such as `h` for `h = relu(x @ W + b)`"
                                    : "did you mean `" + suggestion + "`?");
                } else if (!(declaration instanceof Definition d)
                        || d.kind() != Definition.Kind.VALUE && d.kind() != Definition.Kind.OUTPUT) {
                    diagnostics.error(name.span(), "`" + name.text() + "` is " + article(kindWord(declaration))
                                    + ", and only definitions can be recomputed",
                            "name a value defined as `name = expression`");
                }
            }
        }
    }

    private static String article(String word) {
        if (word.equals("loss")) {
            return "the loss";
        }
        return ("aeiou".indexOf(word.charAt(0)) >= 0 ? "an " : "a ") + word;
    }

    private void collectNames(Ast.Program program) {
        for (Declaration declaration : program.declarations()) {
            String name = declaration.name().text();
            Declaration first = firstDeclarations.putIfAbsent(name, declaration);
            if (first != null) {
                diagnostics.error(declaration.name().span(),
                        "`" + name + "` is already declared on line " + first.name().span().line(),
                        "give this " + kindWord(declaration) + " another name");
            }
        }
    }

    private Definition checkLoss(Definition definition, Facts facts, Definition previous) {
        if (previous != null) {
            diagnostics.error(definition.name().span(),
                    "a model has one loss; `" + previous.name().text() + "` on line " + previous.span().line()
                            + " is already the loss",
                    "make this one a `metric`, or add the two into one loss");
            return previous;
        }
        requireScalar(definition, facts, "the loss");
        // An unknown name may well have been meant as a param: saying the loss depends on none is noise.
        if (!facts.dependsOnParam() && !facts.errorInside()) {
            diagnostics.error(definition.name().span(), "loss `" + definition.name().text()
                    + "` does not depend on any parameter, so there is nothing to train",
                    "a loss must use at least one `param`, directly or through definitions");
        }
        for (Facts.Blocker blocker : facts.blockers()) {
            diagnostics.error(blocker.span(), blocker.what() + " is not differentiable, and it lies between a "
                            + "parameter and the loss `" + definition.name().text() + "`",
                    "use it in a `metric` or in `stop when` instead");
        }
        return definition;
    }

    static String kindWord(Declaration declaration) {
        if (declaration instanceof Definition d) {
            return switch (d.kind()) {
                case VALUE -> "definition";
                case LOSS -> "loss";
                case METRIC -> "metric";
                case OUTPUT -> "output";
            };
        }
        return declaration instanceof Ast.Param ? "param" : "input";
    }
}
