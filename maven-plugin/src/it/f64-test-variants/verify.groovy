def main = new File(basedir, 'target/generated-sources/modelc/demo/Line.java')
def test = new File(basedir, 'target/generated-test-sources/modelc/demo/f64/Line.java')
assert main.text.contains('package demo;') && main.text.contains('float[]')
assert test.text.contains('package demo.f64;') && !test.text.contains('float')
assert new File(basedir, 'target/test-classes/demo/f64/Line.class').isFile()
assert !new File(basedir, 'target/classes/demo/f64').exists()
def log = new File(basedir, 'build.log').text
assert log.contains('Tests run: 5, Failures: 0, Errors: 0, Skipped: 0')
assert log.contains('property "gradients of Line match finite differences" (seed 0): 50 tries, 50 checked, 0 discarded')
return true
