package dev.camelollama.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/** The reply of {@code GET /api/tags}: the models the server has. The {@code listModels} body is {@link #models()}. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ListModelsResponse(List<ModelInfo> models) {

    public ListModelsResponse {
        models = models == null ? List.of() : models;
    }
}
