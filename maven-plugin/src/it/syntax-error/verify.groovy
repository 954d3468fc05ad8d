def log = new File(basedir, 'build.log').text
def models = new File(basedir, 'src/main/model/demo').absolutePath

def broken = "[ERROR] ${models}/broken.model:4:14: error: `+` ends the line, but an operand must follow it"
def unknown = "[ERROR] ${models}/unknown.model:4:14: error: unknown name `y`"
for (line in [broken, unknown]) {
    assert log.contains(line)
    // Once: Maven's own failure message must not repeat the diagnostics.
    assert log.count(line.substring('[ERROR] '.length())) == 1
}
assert log.contains('[ERROR]   loss L = x^2 +')
assert log.contains('modelc: 2 models have errors (see the errors above)')

// The good model compiled too, but a run with errors writes nothing at all.
def output = new File(basedir, 'target/generated-sources/modelc')
assert !output.exists() || output.listFiles().length == 0
assert !new File(basedir, 'target/modelc-state').exists()
return true
