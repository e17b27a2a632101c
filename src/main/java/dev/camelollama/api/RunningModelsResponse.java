package dev.camelollama.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The reply of {@code GET /api/ps}. The {@code runningModels} body is {@link #models()}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RunningModelsResponse(List<RunningModel> models) {

    public RunningModelsResponse {
        models = models == null ? List.of() : models;
    }
}
