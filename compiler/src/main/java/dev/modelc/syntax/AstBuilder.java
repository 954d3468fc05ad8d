package dev.modelc.syntax;

import dev.modelc.grammar.ModelBaseVisitor;
import dev.modelc.grammar.ModelParser;
import dev.modelc.syntax.Ast.Argument;
import dev.modelc.syntax.Ast.BinaryOp;
import dev.modelc.syntax.Ast.Declaration;
import dev.modelc.syntax.Ast.Dim;
import dev.modelc.syntax.Ast.Expr;
import dev.modelc.syntax.Ast.Ident;
import dev.modelc.syntax.Ast.TrainItem;
import dev.modelc.syntax.Ast.TypeRef;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/** Builds the AST from a parse tree that had no syntax errors. */
final class AstBuilder extends ModelBaseVisitor<Object> {

    Ast.Program program(ModelParser.ProgramContext ctx) {
        Ident name = ident(ctx.modelHeader().ident());
        List<Declaration> declarations = new ArrayList<>();
        List<TrainItem> trainItems = new ArrayList<>();
        List<Ast.Recompute> recomputes = new ArrayList<>();
        List<Ast.Function> functions = new ArrayList<>();
        ParserRuleContext trainCtx = null;
        for (ModelParser.DeclarationContext d : ctx.declaration()) {
            if (d instanceof ModelParser.RecomputeDeclContext recompute) {
                recomputes.add(new Ast.Recompute(recompute.ident().stream().map(AstBuilder::ident).toList(),
                        Spans.of(recompute)));
            } else if (d instanceof ModelParser.DefDeclContext def) {
                List<Ident> parameters = def.ident().subList(1, def.ident().size()).stream()
                        .map(AstBuilder::ident).toList();
                functions.add(new Ast.Function(ident(def.ident(0)), parameters, expr(def.expr()), Spans.of(def)));
            } else if (d instanceof ModelParser.TrainDeclContext train) {
                trainCtx = train;
                for (ModelParser.TrainItemContext item : train.trainItem()) {
                    trainItems.add((TrainItem) visit(item));
                }
            } else {
                declarations.add((Declaration) visit(d));
            }
        }
        Ast.TrainBlock train = trainCtx == null
                ? Ast.TrainBlock.EMPTY
                : new Ast.TrainBlock(List.copyOf(trainItems), Spans.of(trainCtx));
        return new Ast.Program(name, List.copyOf(declarations), List.copyOf(recomputes), List.copyOf(functions), train,
                Spans.of(ctx));
    }

    /** Every train block after the first, for a "duplicate train block" diagnostic. */
    static List<ModelParser.TrainDeclContext> extraTrainBlocks(ModelParser.ProgramContext ctx) {
        List<ModelParser.TrainDeclContext> blocks = new ArrayList<>();
        for (ModelParser.DeclarationContext d : ctx.declaration()) {
            if (d instanceof ModelParser.TrainDeclContext train) {
                blocks.add(train);
            }
        }
        return blocks.size() <= 1 ? List.of() : blocks.subList(1, blocks.size());
    }

    private static Ident ident(ModelParser.IdentContext ctx) {
        return new Ident(ctx.getText(), Spans.of(ctx));
    }

    private Expr expr(ModelParser.ExprContext ctx) {
        return (Expr) visit(ctx);
    }

    // ---- declarations

    @Override
    public Object visitParamDecl(ModelParser.ParamDeclContext ctx) {
        TypeRef type = ctx.type() == null ? null : type(ctx.type());
        Expr init = ctx.expr() == null ? null : expr(ctx.expr());
        return new Ast.Param(ident(ctx.ident()), type, init, Spans.of(ctx));
    }

    @Override
    public Object visitInputDecl(ModelParser.InputDeclContext ctx) {
        return new Ast.Input(ident(ctx.ident()), type(ctx.type()), Spans.of(ctx));
    }

    @Override
    public Object visitLossDecl(ModelParser.LossDeclContext ctx) {
        return definition(Ast.Definition.Kind.LOSS, ctx.ident(), ctx.expr(), ctx);
    }

    @Override
    public Object visitMetricDecl(ModelParser.MetricDeclContext ctx) {
        return definition(Ast.Definition.Kind.METRIC, ctx.ident(), ctx.expr(), ctx);
    }

    @Override
    public Object visitOutputDecl(ModelParser.OutputDeclContext ctx) {
        return definition(Ast.Definition.Kind.OUTPUT, ctx.ident(), ctx.expr(), ctx);
    }

    @Override
    public Object visitDefineDecl(ModelParser.DefineDeclContext ctx) {
        return definition(Ast.Definition.Kind.VALUE, ctx.ident(), ctx.expr(), ctx);
    }

    private Ast.Definition definition(Ast.Definition.Kind kind, ModelParser.IdentContext name,
                                      ModelParser.ExprContext value, ParserRuleContext ctx) {
        return new Ast.Definition(kind, ident(name), expr(value), Spans.of(ctx));
    }

    private TypeRef type(ModelParser.TypeContext ctx) {
        TypeRef.ElementType element = ctx.elementType() instanceof ModelParser.IntTypeContext
                ? TypeRef.ElementType.INT
                : TypeRef.ElementType.FLOAT;
        List<Dim> dims = new ArrayList<>();
        for (ModelParser.DimContext d : ctx.shape().dim()) {
            if (d instanceof ModelParser.SizeDimContext size) {
                dims.add(new Ast.SizeDim(size.NUMBER().getText(), Spans.of(size)));
            } else {
                ModelParser.SymbolDimContext symbol = (ModelParser.SymbolDimContext) d;
                dims.add(new Ast.SymbolDim(symbol.ident().getText(), Spans.of(symbol)));
            }
        }
        return new TypeRef(element, List.copyOf(dims), Spans.of(ctx));
    }

    // ---- train items

    @Override
    public Object visitDataItem(ModelParser.DataItemContext ctx) {
        return new Ast.DataItem(expr(ctx.expr()), Spans.of(ctx));
    }

    @Override
    public Object visitBatchItem(ModelParser.BatchItemContext ctx) {
        return new Ast.BatchItem(number(ctx.NUMBER().getSymbol()), ctx.getChildCount() > 2, Spans.of(ctx));
    }

    @Override
    public Object visitOptimizerItem(ModelParser.OptimizerItemContext ctx) {
        return new Ast.OptimizerItem(ident(ctx.ident()), arguments(ctx.arguments()), Spans.of(ctx));
    }

    @Override
    public Object visitScheduleItem(ModelParser.ScheduleItemContext ctx) {
        return new Ast.ScheduleItem(ident(ctx.ident()), arguments(ctx.arguments()), Spans.of(ctx));
    }

    @Override
    public Object visitEpochsItem(ModelParser.EpochsItemContext ctx) {
        return count("epochs", ctx.NUMBER().getSymbol(), ctx);
    }

    @Override
    public Object visitMaxStepsItem(ModelParser.MaxStepsItemContext ctx) {
        return count("max_steps", ctx.NUMBER().getSymbol(), ctx);
    }

    @Override
    public Object visitSeedItem(ModelParser.SeedItemContext ctx) {
        return count("seed", ctx.NUMBER().getSymbol(), ctx);
    }

    @Override
    public Object visitClipNormItem(ModelParser.ClipNormItemContext ctx) {
        return new Ast.ClipNormItem(number(ctx.NUMBER().getSymbol()), Spans.of(ctx));
    }

    private static Ast.CountItem count(String keyword, Token number, ParserRuleContext ctx) {
        return new Ast.CountItem(keyword, number(number), Spans.of(ctx));
    }

    @Override
    public Object visitStopItem(ModelParser.StopItemContext ctx) {
        return new Ast.StopItem(expr(ctx.expr()), Spans.of(ctx));
    }

    // ---- expressions

    @Override
    public Object visitCallExpr(ModelParser.CallExprContext ctx) {
        return new Ast.Call(ident(ctx.ident()), arguments(ctx.arguments()), Spans.of(ctx));
    }

    private List<Argument> arguments(ModelParser.ArgumentsContext ctx) {
        if (ctx == null) {
            return List.of();
        }
        List<Argument> result = new ArrayList<>();
        for (ModelParser.ArgumentContext a : ctx.argument()) {
            Ident name = a.ident() == null ? null : ident(a.ident());
            result.add(new Argument(name, expr(a.expr()), Spans.of(a)));
        }
        return List.copyOf(result);
    }

    @Override
    public Object visitParenExpr(ModelParser.ParenExprContext ctx) {
        return expr(ctx.expr());
    }

    @Override
    public Object visitNumberExpr(ModelParser.NumberExprContext ctx) {
        return number(ctx.NUMBER().getSymbol());
    }

    private static Ast.Number number(Token token) {
        return new Ast.Number(token.getText(), Spans.of(token));
    }

    @Override
    public Object visitStringExpr(ModelParser.StringExprContext ctx) {
        String quoted = ctx.STRING().getText();
        return new Ast.Text(unescape(quoted.substring(1, quoted.length() - 1)), Spans.of(ctx));
    }

    private static String unescape(String body) {
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\' && i + 1 < body.length()) {
                char next = body.charAt(++i);
                out.append(switch (next) {
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    default -> next;
                });
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    @Override
    public Object visitListExpr(ModelParser.ListExprContext ctx) {
        return new Ast.ListLiteral(ctx.expr().stream().map(this::expr).toList(), Spans.of(ctx));
    }

    @Override
    public Object visitNameExpr(ModelParser.NameExprContext ctx) {
        return new Ast.Name(ctx.getText(), Spans.of(ctx));
    }

    @Override
    public Object visitIndexExpr(ModelParser.IndexExprContext ctx) {
        List<Ast.Slot> slots = new ArrayList<>();
        for (ModelParser.IndexContext index : ctx.index()) {
            if (index instanceof ModelParser.RangeIndexContext range) {
                slots.add(new Ast.Slot(true, null, range.from == null ? null : expr(range.from),
                        range.to == null ? null : expr(range.to), Spans.of(range)));
            } else {
                slots.add(new Ast.Slot(false, expr(((ModelParser.AtIndexContext) index).expr()), null, null,
                        Spans.of(index)));
            }
        }
        return new Ast.Index(expr(ctx.expr()), List.copyOf(slots), Spans.of(ctx));
    }

    @Override
    public Object visitPowerExpr(ModelParser.PowerExprContext ctx) {
        return binary(BinaryOp.POWER, ctx.expr(0), ctx.expr(1), ctx.getChild(1).getPayload(), ctx);
    }

    @Override
    public Object visitNegateExpr(ModelParser.NegateExprContext ctx) {
        return new Ast.Unary(Ast.UnaryOp.NEGATE, expr(ctx.expr()), Spans.of(ctx));
    }

    @Override
    public Object visitMultiplyExpr(ModelParser.MultiplyExprContext ctx) {
        return binary(BinaryOp.of(ctx.op.getText()), ctx.expr(0), ctx.expr(1), ctx.op, ctx);
    }

    @Override
    public Object visitAddExpr(ModelParser.AddExprContext ctx) {
        return binary(BinaryOp.of(ctx.op.getText()), ctx.expr(0), ctx.expr(1), ctx.op, ctx);
    }

    @Override
    public Object visitCompareExpr(ModelParser.CompareExprContext ctx) {
        return binary(BinaryOp.of(ctx.op.getText()), ctx.expr(0), ctx.expr(1), ctx.op, ctx);
    }

    private Expr binary(BinaryOp op, ModelParser.ExprContext left, ModelParser.ExprContext right,
                        Object opToken, ParserRuleContext ctx) {
        return new Ast.Binary(op, expr(left), expr(right), Spans.of((Token) opToken), Spans.of(ctx));
    }
}
