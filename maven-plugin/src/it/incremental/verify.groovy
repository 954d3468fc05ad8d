import java.nio.file.Files

def log = new File(basedir, 'build.log').text
def summaries = log.readLines().findAll { it.contains('modelc: ') && it.contains(' up to date, ') }
        .collect { it.replaceFirst(/.*modelc: /, '').replaceFirst(/ in .*/, '') }
assert summaries == ['3 generated, 0 up to date, 0 removed',
                     '0 generated, 3 up to date, 0 removed',
                     '1 generated, 1 up to date, 1 removed']
// Three classes by the first build, none by the second, Beta's by the third.
assert log.count('modelc: generated ') == 4
// The no-op build leaves javac nothing to do either.
assert log.contains('Nothing to compile - all classes are up to date')

def output = new File(basedir, 'target/generated-sources/modelc/demo')
assert log.contains('modelc: generated demo/Beta.java from demo/b.model')
assert log.contains('modelc: removed demo/gone/Gamma.java (was generated from demo/gone/c.model)')
assert new File(output, 'Beta.java').text.contains('5.0')
assert !new File(output, 'gone').exists()
// Alpha's model never changed: the third build left its class as the first one wrote it.
assert Files.getLastModifiedTime(new File(output, 'Alpha.java').toPath()).toMillis() == 1_000_000_000_000L
return true
