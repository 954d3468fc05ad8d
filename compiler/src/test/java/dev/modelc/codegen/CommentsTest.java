package dev.modelc.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.TypeSpec;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;
import org.junit.jupiter.api.Test;

/**
 * Text placed in generated comments and string literals, through JavaPoet and javac: a literal
 * holds exactly the text, a comment holds it without ending early, and neither adds code.
 */
class CommentsTest {
    private static final List<String> TEXTS = List.of(
            "plain", "", "\"", "\\", "\\\\", "end \\", "\\u000a", "\\\\u000a", "\\\\\\u000a", "\\uuu0022",
            "*/", "/*", "*/ int pwned; /*", "a\nb", "a\r\nb", "\r", "tab\there", "\u0000\u0001\u001f\u007f",
            "\u000b\u000c", "\u0085", "line\u2028separator\u2029paragraph", "ö ß θ 模型", "\uD83D\uDE42",
            "lone \uD83D high", "lone \uDE42 low", "$L $S $N $T $$ %s", "\\u2028\u2028");

    @Test
    void aLiteralHoldsExactlyItsText() throws Exception {
        TypeSpec.Builder type = TypeSpec.classBuilder("Literals").addModifiers(Modifier.PUBLIC);
        for (int i = 0; i < TEXTS.size(); i++) {
            type.addField(FieldSpec.builder(String.class, "s" + i, Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                    .addJavadoc("$L\n", Comments.safe(TEXTS.get(i)))
                    .initializer(Comments.literal(TEXTS.get(i))).build());
        }
        String source = JavaFile.builder("", type.build()).build().toString();
        Class<?> compiled = InMemoryCompiler.compile(Map.of("Literals", source)).loadClass("Literals");
        List<String> values = new ArrayList<>();
        for (int i = 0; i < TEXTS.size(); i++) {
            values.add((String) compiled.getField("s" + i).get(null));
        }
        assertEquals(TEXTS, values, source);
        assertEquals(TEXTS.size(), compiled.getDeclaredFields().length, source);
        for (Field field : compiled.getDeclaredFields()) {
            assertEquals(String.class, field.getType(), field.toString());
        }
    }

    @Test
    void aCommentKeepsEveryPrintableCharacterAndNoLineEnd() {
        assertEquals("a *\u2215 b \\\\u000a ö 模型 \uD83D\uDE42", Comments.safe("a */ b \\u000a ö 模型 \uD83D\uDE42"));
        assertEquals("\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD\uFFFD", Comments.safe("\n\r\u0085\u2028\u2029\uD83D"));
    }
}
