package dev.shoal.controller.config;

public enum AuthMode {
    BASIC, NONE
}
