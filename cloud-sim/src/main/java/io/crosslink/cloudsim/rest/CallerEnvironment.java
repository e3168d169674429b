package io.crosslink.cloudsim.rest;

import jakarta.enterprise.context.RequestScoped;

/** The environment whose API key authenticated the current Cloud API request. */
@RequestScoped
public class CallerEnvironment {
    private String name;

    public String name() {
        if (name == null) {
            throw new IllegalStateException("request was not authenticated");
        }
        return name;
    }

    void name(String name) {
        this.name = name;
    }
}
