def log = new File(basedir, 'build.log').text
assert log.contains('modelc: generated demo/Line.java from demo/line.model')
assert new File(basedir, 'target/generated-sources/modelc/demo/Line.java').isFile()
assert new File(basedir, 'target/classes/demo/Line.class').isFile()
assert log.contains('Tests run: 3, Failures: 0, Errors: 0, Skipped: 0')
return true
