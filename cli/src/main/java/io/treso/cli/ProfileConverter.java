package io.treso.cli;

import io.treso.connectors.simulator.SimulatorConfig;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** {@code --profile default|small-shops}, refused with the names that exist. */
final class ProfileConverter implements ITypeConverter<SimulatorConfig.Profile> {
    @Override
    public SimulatorConfig.Profile convert(String value) {
        try {
            return SimulatorConfig.Profile.parse(value);
        } catch (IllegalArgumentException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }
}
