package dev.modelc.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a script that completes modelc's commands, options and file names in bash and zsh. "
                + "Load it in the shell's start-up file: `source <(modelc completion)` in ~/.bashrc; in "
                + "~/.zshrc, `autoload -U +X compinit && compinit`, `autoload -U +X bashcompinit && bashcompinit`, "
                + "then the same line.")
final class CompletionCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("modelc", Main.commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
