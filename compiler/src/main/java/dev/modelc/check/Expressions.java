package dev.modelc.check;

import dev.modelc.syntax.Ast;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/** Walks of an expression's tree without recursion, however deep it nests. */
final class Expressions {
    private Expressions() {
    }

    /** The expressions directly inside {@code expr}, in source order. */
    static List<Ast.Expr> children(Ast.Expr expr) {
        List<Ast.Expr> children = new ArrayList<>();
        if (expr instanceof Ast.Unary unary) {
            children.add(unary.operand());
        } else if (expr instanceof Ast.Binary binary) {
            children.add(binary.left());
            children.add(binary.right());
        } else if (expr instanceof Ast.Call call) {
            call.arguments().forEach(a -> children.add(a.value()));
        } else if (expr instanceof Ast.ListLiteral list) {
            children.addAll(list.elements());
        } else if (expr instanceof Ast.Index index) {
            children.add(index.target());
            for (Ast.Slot slot : index.slots()) {
                for (Ast.Expr e : new Ast.Expr[] {slot.at(), slot.from(), slot.to()}) {
                    if (e != null) {
                        children.add(e);
                    }
                }
            }
        }
        return children;
    }

    /** Every name used in {@code expr} as a value, in source order. */
    static List<Ast.Name> names(Ast.Expr expr) {
        return all(expr).stream().filter(Ast.Name.class::isInstance).map(Ast.Name.class::cast).toList();
    }

    /** Every call in {@code expr}, in source order. */
    static List<Ast.Call> calls(Ast.Expr expr) {
        return all(expr).stream().filter(Ast.Call.class::isInstance).map(Ast.Call.class::cast).toList();
    }

    private static List<Ast.Expr> all(Ast.Expr root) {
        List<Ast.Expr> found = new ArrayList<>();
        Deque<Ast.Expr> pending = new ArrayDeque<>();
        pending.push(root);
        while (!pending.isEmpty()) {
            Ast.Expr expr = pending.pop();
            found.add(expr);
            List<Ast.Expr> children = children(expr);
            for (int i = children.size() - 1; i >= 0; i--) {
                pending.push(children.get(i));
            }
        }
        return found;
    }
}
