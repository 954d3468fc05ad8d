def b = new File(basedir, 'src/main/model/demo/b.model')
b.text = b.text.replace('param y = 2.0', 'param y = 5.0')
assert new File(basedir, 'src/main/model/demo/gone/c.model').delete()
return true
