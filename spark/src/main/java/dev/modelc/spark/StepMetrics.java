package dev.modelc.spark;

import dev.modelc.runtime.TrainableModel;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * The driver's model as listeners see it after a step's forward pass: everything is the model's
 * own, except the metrics, which no forward pass on the driver computed; they are those of the
 * whole batch, as the partitions computed them together.
 */
final class StepMetrics implements InvocationHandler {
    private final TrainableModel model;
    private final TrainableModel view;
    private double[] metrics = new double[0];

    StepMetrics(TrainableModel model) {
        this.model = model;
        this.view = (TrainableModel) Proxy.newProxyInstance(TrainableModel.class.getClassLoader(),
                new Class<?>[] {TrainableModel.class}, this);
    }

    /** The model, showing these metrics. */
    TrainableModel showing(double[] stepMetrics) {
        this.metrics = stepMetrics;
        return view;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        if (method.getName().equals("metric") && args != null && args.length == 1) {
            int index = args[0] instanceof Integer i ? i : model.signature().metrics().indexOf((String) args[0]);
            if (index < 0 || index >= metrics.length) {
                return method.invoke(model, args);
            }
            return metrics[index];
        }
        try {
            return method.invoke(model, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}
