import java.nio.file.Files

def generated = []
new File(basedir, 'target/generated-sources/modelc').eachFileRecurse(groovy.io.FileType.FILES) { generated << it }
assert generated.size() == 3
for (file in generated) {
    assert Files.getLastModifiedTime(file.toPath()).toMillis() == 1_000_000_000_000L : "rewritten: ${file}"
}
return true
