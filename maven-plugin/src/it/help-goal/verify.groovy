def log = new File(basedir, 'build.log').text
for (goal in ['modelc:generate', 'modelc:generate-test', 'modelc:help']) {
    assert log.contains(goal) : "help does not list ${goal}"
}
// -Ddetail: the parameters, with their user properties and descriptions.
assert log.contains('sourceDirectory')
assert log.contains('User property: modelc.sourceDirectory')
assert log.contains('User property: modelc.dtype')
assert log.contains('The folder searched for .model files')
return true
