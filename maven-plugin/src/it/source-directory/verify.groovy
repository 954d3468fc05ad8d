def log = new File(basedir, 'build.log').text
def root = basedir.absolutePath

assert log.contains('modelc: 1 generated, 0 up to date, 0 removed')
assert log.contains("modelc: <sourceDirectory> (or -Dmodelc.sourceDirectory) is ${root}/src/main/modle, which does not exist;"
        + ' set it to the folder of your .model files, or leave it unset for src/main/model. Nothing was generated or removed.')
assert log.contains("modelc: <sourceDirectory> (or -Dmodelc.sourceDirectory) is ${root}/src/main/empty, which holds no"
        + ' .model file; set it to the folder of your .model files')
// Only the first build got as far as the models: the others removed nothing and left the state as it was.
assert log.count(' removed in ') == 1
assert new File(basedir, 'target/generated-sources/modelc/demo/Line.java').isFile()
assert new File(basedir, 'target/modelc-state/generate-default.state').isFile()
return true
