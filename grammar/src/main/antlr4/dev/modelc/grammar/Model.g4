/*
 * The .model language: parameters, inputs, definitions, a loss, metrics, outputs, functions
 * (`def`, inlined where they are called), values the backward pass recomputes instead of
 * storing, and a train block.
 * No actions: the compiler builds its AST from the parse tree in a visitor.
 * Newlines carry no meaning; every declaration starts with a keyword or `name =`.
 */
grammar Model;

program
    : modelHeader declaration* EOF
    ;

modelHeader
    : 'model' ident
    ;

declaration
    : 'param' ident (':' type)? ('=' expr)?          # paramDecl
    | 'input' ident ':' type                         # inputDecl
    | 'loss' ident '=' expr                          # lossDecl
    | 'metric' ident '=' expr                        # metricDecl
    | 'output' ident '=' expr                        # outputDecl
    | 'def' ident '(' (ident (',' ident)*)? ')' '=' expr   # defDecl
    | ident '=' expr                                 # defineDecl
    | 'recompute' ident (',' ident)*                 # recomputeDecl
    | 'train' '{' trainItem* '}'                     # trainDecl
    ;

type
    : elementType? shape
    ;

elementType
    : 'int'                                          # intType
    | 'float'                                        # floatType
    ;

shape
    : '[' (dim (',' dim)*)? ']'
    ;

dim
    : NUMBER                                         # sizeDim
    | ident                                          # symbolDim
    ;

trainItem
    : 'data' expr                                    # dataItem
    | 'batch' NUMBER 'shuffle'?                      # batchItem
    | 'optimizer' ident ('(' arguments? ')')?        # optimizerItem
    | 'schedule' ident ('(' arguments? ')')?         # scheduleItem
    | 'epochs' NUMBER                                # epochsItem
    | 'max_steps' NUMBER                             # maxStepsItem
    | 'seed' NUMBER                                  # seedItem
    | 'clip_norm' NUMBER                             # clipNormItem
    | 'stop' 'when' expr                             # stopItem
    ;

// Alternatives listed first bind tighter. A list, `[30, 80]`, is only accepted where a setting takes one.
expr
    : ident '(' arguments? ')'                       # callExpr
    | '(' expr ')'                                   # parenExpr
    | NUMBER                                         # numberExpr
    | STRING                                         # stringExpr
    | '[' (expr (',' expr)*)? ']'                    # listExpr
    | ident                                          # nameExpr
    | expr '[' index (',' index)* ']'                # indexExpr
    | <assoc = right> expr '^' expr                  # powerExpr
    | '-' expr                                       # negateExpr
    | expr op = ('*' | '/' | '@') expr               # multiplyExpr
    | expr op = ('+' | '-') expr                     # addExpr
    | expr op = ('<' | '<=' | '>' | '>=' | '==' | '!=') expr  # compareExpr
    ;

// One index per axis: a position `2`, a range `0:3` (either end may be left out), or `:` for all.
index
    : from = expr? ':' to = expr?                    # rangeIndex
    | expr                                           # atIndex
    ;

arguments
    : argument (',' argument)*
    ;

argument
    : (ident '=')? expr
    ;

// Words that are keywords only inside the train block, a type, a recompute, an output or a def declaration stay
// usable as names: `output = h @ W` defines a value named `output`.
ident
    : IDENT
    | 'data' | 'batch' | 'shuffle' | 'optimizer' | 'schedule' | 'epochs'
    | 'max_steps' | 'seed' | 'clip_norm' | 'stop' | 'when' | 'int' | 'float' | 'recompute' | 'output' | 'def'
    ;

NUMBER
    : DIGITS ('.' DIGITS?)? EXPONENT?
    | '.' DIGITS EXPONENT?
    ;

STRING
    : '"' (~["\\\r\n] | '\\' ~[\r\n])* '"'
    ;

IDENT
    : [\p{L}_] [\p{L}\p{N}_]*
    ;

LINE_COMMENT
    : '//' ~[\r\n]* -> skip
    ;

BLOCK_COMMENT
    : '/*' .*? '*/' -> skip
    ;

WS
    : [ \t\r\n\f]+ -> skip
    ;

// Any other character becomes a token the parser rejects, so the error has a position.
UNKNOWN_CHAR
    : .
    ;

fragment DIGITS
    : [0-9]+
    ;

fragment EXPONENT
    : [eE] [+-]? DIGITS
    ;
