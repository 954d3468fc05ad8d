package dev.modelc.syntax;

import dev.modelc.diagnostics.Span;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/** Source spans of tokens and parse-tree nodes, 1-based. */
final class Spans {
    private Spans() {
    }

    static Span of(Token token) {
        int length = token.getType() == Token.EOF ? 1 : token.getText().codePointCount(0, token.getText().length());
        return Span.of(token.getLine(), token.getCharPositionInLine() + 1, length);
    }

    static Span of(ParserRuleContext ctx) {
        Span start = of(ctx.getStart());
        Token stopToken = ctx.getStop() == null || ctx.getStop().getTokenIndex() < ctx.getStart().getTokenIndex()
                ? ctx.getStart()
                : ctx.getStop();
        return start.to(of(stopToken));
    }
}
