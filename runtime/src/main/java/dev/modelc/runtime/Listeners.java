package dev.modelc.runtime;

import java.util.List;

/** Several minibatch listeners told in turn, as one. */
final class Listeners implements MinibatchTrainer.Listener {
    private final List<MinibatchTrainer.Listener> listeners;

    Listeners(List<? extends MinibatchTrainer.Listener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void started(TrainableModel model, Dataset data, MinibatchTrainer.Settings settings) {
        listeners.forEach(l -> l.started(model, data, settings));
    }

    @Override
    public void step(TrainableModel model, long step, long epoch, double loss) {
        listeners.forEach(l -> l.step(model, step, epoch, loss));
    }

    @Override
    public void epoch(TrainableModel model, MinibatchTrainer.EpochStats stats) {
        listeners.forEach(l -> l.epoch(model, stats));
    }

    @Override
    public void finished(TrainableModel model, MinibatchTrainer.Result result) {
        listeners.forEach(l -> l.finished(model, result));
    }
}
