package dev.camelollama;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.WritableHealthCheckRepository;

/**
 * One health check in Camel's {@code producers} repository, for as long as it is registered. That repository
 * lives in camel-health, which the component does not depend on: without it (or with health checks switched off)
 * there is nothing to register into and {@link #NONE} is returned, so the route starts as usual.
 */
final class HealthCheckRegistration implements AutoCloseable {

    /** The id of Camel's repository of producer checks (camel-health's ProducersHealthCheckRepository). */
    static final String PRODUCERS_REPOSITORY = "producers";

    /** Nothing registered. */
    static final HealthCheckRegistration NONE = new HealthCheckRegistration(null, null);

    private final WritableHealthCheckRepository repository;
    private final HealthCheck check;

    private HealthCheckRegistration(WritableHealthCheckRepository repository, HealthCheck check) {
        this.repository = repository;
        this.check = check;
    }

    /** The context's producers repository, or null when camel-health is absent or health checks are off. */
    static WritableHealthCheckRepository producersRepository(CamelContext context) {
        return HealthCheckHelper.getHealthCheckRepository(context, PRODUCERS_REPOSITORY,
                WritableHealthCheckRepository.class);
    }

    /** Adds {@code check} to {@code repository}; with a null repository, registers nothing. */
    static HealthCheckRegistration register(WritableHealthCheckRepository repository, HealthCheck check) {
        if (repository == null || check == null) {
            return NONE;
        }
        repository.addHealthCheck(check);
        return new HealthCheckRegistration(repository, check);
    }

    /** The registered check, or null for {@link #NONE}. */
    HealthCheck check() {
        return check;
    }

    /** Removes the check again; does nothing for {@link #NONE}. */
    @Override
    public void close() {
        if (repository != null) {
            repository.removeHealthCheck(check);
        }
    }
}
