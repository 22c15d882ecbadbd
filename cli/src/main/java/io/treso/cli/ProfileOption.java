package io.treso.cli;

import io.treso.connectors.simulator.SimulatorConfig;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --profile default|small-shops}: the simulated business's shape, for demo, simulate and
 * bench.
 */
public final class ProfileOption {
    @Option(
            names = "--profile",
            defaultValue = "default",
            converter = Converter.class,
            description =
                    "The business's shape: default, or small-shops (payouts naming orders without lines, one PSP with money only; default: ${DEFAULT-VALUE}).")
    public SimulatorConfig.Profile profile;

    /** Refuses an unknown profile with the names that exist. */
    public static final class Converter implements ITypeConverter<SimulatorConfig.Profile> {
        @Override
        public SimulatorConfig.Profile convert(String value) {
            try {
                return SimulatorConfig.Profile.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
