package dev.modelc.runtime;

import java.util.List;
import java.util.function.BiConsumer;

/** Several training listeners told in turn, as one; and listeners made of a lambda. */
final class Listeners implements Trainer.Listener {
    private final List<Trainer.Listener> listeners;

    Listeners(List<? extends Trainer.Listener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    static Trainer.Listener onStep(Trainer.StepListener listener) {
        return new Trainer.Listener() {
            @Override
            public void step(TrainableModel model, long step, long epoch, double loss) {
                listener.step(model, step, epoch, loss);
            }
        };
    }

    static Trainer.Listener onEpoch(BiConsumer<TrainableModel, Trainer.EpochStats> listener) {
        return new Trainer.Listener() {
            @Override
            public void epoch(TrainableModel model, Trainer.EpochStats stats) {
                listener.accept(model, stats);
            }
        };
    }

    @Override
    public void started(TrainableModel model, Trainer.Plan plan) {
        listeners.forEach(l -> l.started(model, plan));
    }

    @Override
    public void step(TrainableModel model, long step, long epoch, double loss) {
        for (Trainer.Listener listener : listeners) {
            listener.step(model, step, epoch, loss);
        }
    }

    @Override
    public void epoch(TrainableModel model, Trainer.EpochStats stats) {
        listeners.forEach(l -> l.epoch(model, stats));
    }

    @Override
    public void finished(TrainableModel model, Trainer.Result result) {
        listeners.forEach(l -> l.finished(model, result));
    }
}
