package dev.myelin.cli;

/** Entry point of the {@code myelin} command. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.out.println("myelin: under construction");
    }
}
